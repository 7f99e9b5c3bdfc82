"""What requests say and what answers hold, as pydantic models shared by the HTML views and the
API: they read input, shape JSON answers, and the API's OpenAPI document is generated from them.
"""
