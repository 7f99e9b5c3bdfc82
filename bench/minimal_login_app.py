"""A Flask-Login app in the plain shape of the Flask-Login documentation: the baseline.

One `users` table; the user_loader does one primary-key query; the request_loader finds the
user of a bearer token in one query; sign-in checks an argon2id hash at Emolytics' cost.
Configuration comes from the environment: DATABASE_URL (SQLAlchemy URL) and SECRET_KEY.

Serve with `gunicorn --pythonpath bench 'minimal_login_app:create_app()'`.
"""

import hashlib
import os

from argon2 import PasswordHasher, Type
from argon2.exceptions import VerificationError
from flask import Flask, Request, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Emolytics' argon2id cost (OWASP's minimum): m=19 MiB, t=2, p=1.
hasher = PasswordHasher(memory_cost=19 * 1024, time_cost=2, parallelism=1, type=Type.ID)

# The templates folder of the documentation's app, kept in this file.
TEMPLATES = {
    "dashboard.html": """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Dashboard</title></head>
<body>
  <h1>Hello, {{ current_user.username }}</h1>
  <p>Datasets you upload or push through the API will appear here.</p>
</body>
</html>
""",
    "login.html": """<!doctype html>
<form method="post">
  <input name="username"> <input name="password" type="password"> <button>Sign in</button>
</form>
""",
}


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@login_manager.request_loader
def load_user_from_request(request_: Request) -> User | None:
    scheme, _, token = request_.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return db.session.scalar(select(User).where(User.token_hash == token_digest(token)))


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.jinja_loader = DictLoader(TEMPLATES)
    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "login"
    add_routes(app)
    return app


def add_routes(app: Flask) -> None:
    @app.route("/login", methods=["GET", "POST"])
    def login() -> ResponseReturnValue:
        if request.method == "GET":
            return render_template("login.html")
        user = db.session.scalar(select(User).where(User.username == request.form["username"]))
        if user is None or not password_matches(user, request.form["password"]):
            return render_template("login.html"), 401
        login_user(user)
        return redirect(url_for("dashboard"))

    @app.get("/dashboard")
    @login_required
    def dashboard() -> ResponseReturnValue:
        return render_template("dashboard.html")

    @app.get("/api/me")
    @login_required
    def me() -> ResponseReturnValue:
        return {"id": current_user.id, "username": current_user.username}


def password_matches(user: User, password: str) -> bool:
    try:
        return hasher.verify(user.password_hash, password)
    except VerificationError:
        return False
