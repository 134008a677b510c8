"""Staff sign-in: a second factor, lockout against guessing, short sessions, a login record.

Built on django-otp (the devices: TOTP and backup codes) and django-axes (the lockout); what is
ours is the two steps' views and forms (views.py, forms.py), the setup key bound to the sign-in
that started it (pending.py, devices.py), which roles may open which admin pages (sites.py),
idle and absolute session limits (middleware.py) and the sign-in record.

Why not django-two-factor-auth (weighed in December 2026): it is also built on django-otp, so
it would replace only the two steps' views and forms (about 260 of these lines), not the lockout,
the session limits, the role-aware admin site or the sign-in record. In exchange it brings
django-formtools' wizard and its own set of templates to make pass axe-core and the Nu checker
and to translate, and phone, SMS and call methods the clinic must not use (they send codes
through a third party). And each guarantee proven here (the setup key bound to the sign-in
that showed it, a locked account refused before its code is checked, no code in any log) would
have to be proven again against its wizard's session handling. Smaller and already proven wins.
"""
