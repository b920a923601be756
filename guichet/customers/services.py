"""Public state-changing API of the customers app (see docs/INTERFACES.md); the rules live in the
modules re-exported here: ``passwords``, ``codes``, ``links``, ``signin``, ``recovery``, ``events``.
"""

from __future__ import annotations

from .codes import IssuedCode, digest, issue_code, verify_code
from .events import record_event
from .exceptions import (
    AccountSuspended,
    CodeCooldown,
    CodeError,
    CodeExhausted,
    CodeExpired,
    CodeInvalid,
    CodeUsed,
    LinkError,
    LinkExpired,
    LinkInvalid,
    LinkUsed,
    LoginRefused,
    NoPhoneNumber,
    PasswordPolicyError,
    PasswordReuseError,
    RateLimited,
)
from .links import check_link, consume_link, issue_link
from .passwords import check_password_policy, password_expired, password_rules, set_password
from .recovery import change_password, request_password_reset, request_reset_by_phone, reset_password
from .signin import (
    authenticate_customer,
    complete_login,
    finish_step_up,
    lift_suspension,
    logout_customer,
    logout_everywhere,
    register_failed_login,
    start_step_up,
    suspend_account,
)

__all__ = [
    "AccountSuspended",
    "CodeCooldown",
    "CodeError",
    "CodeExhausted",
    "CodeExpired",
    "CodeInvalid",
    "CodeUsed",
    "IssuedCode",
    "LinkError",
    "LinkExpired",
    "LinkInvalid",
    "LinkUsed",
    "LoginRefused",
    "NoPhoneNumber",
    "PasswordPolicyError",
    "PasswordReuseError",
    "RateLimited",
    "authenticate_customer",
    "change_password",
    "check_link",
    "check_password_policy",
    "complete_login",
    "consume_link",
    "digest",
    "finish_step_up",
    "issue_code",
    "issue_link",
    "lift_suspension",
    "logout_customer",
    "logout_everywhere",
    "password_expired",
    "password_rules",
    "record_event",
    "register_failed_login",
    "request_password_reset",
    "request_reset_by_phone",
    "reset_password",
    "set_password",
    "start_step_up",
    "suspend_account",
    "verify_code",
]
