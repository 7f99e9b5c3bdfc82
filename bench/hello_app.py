"""The ceiling: a bare Flask app that answers "Hello, World!" and does nothing else.

Serve with `gunicorn --pythonpath bench 'hello_app:create_app()'`.
"""

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def hello() -> str:
        return "Hello, World!"

    return app
