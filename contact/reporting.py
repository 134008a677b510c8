"""Error reports (the 500 email to ADMINS, the debug page) that never carry patient text.

Django's `sensitive_post_parameters` (on the contact view) hides the POST values, and
`sensitive_variables` hides the locals of the functions it decorates. But a report also lists
the local variables of every other frame in the traceback: a form's `clean_phone`, a template
being rendered, the admin's change view. For any request that handles inquiries, this filter
hides them all. Other requests are reported as Django normally does.
"""

from django.views.debug import SafeExceptionReporterFilter


def handles_inquiries(request):
    if request is None:
        return False
    if getattr(request, "sensitive_post_parameters", None) == "__ALL__":
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Failed before URL resolution: judge by the path.
        return request.path_info.startswith("/contact/")
    if match.app_name == "contact" or "contact" in match.namespaces:
        return True
    return match.app_name == "admin" and (match.url_name or "").startswith("contact_")


class PatientDataExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if handles_inquiries(request):
            return dict.fromkeys(request.POST, self.cleansed_substitute)
        return super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request, tb_frame):
        if handles_inquiries(request):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)
