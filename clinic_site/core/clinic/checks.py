"""`check --deploy` refuses a release whose Spanish catalogue is not compiled, or is older than
its source: Django then falls back to English without a word, so the Spanish pages show English
text and English addresses (/es/conditions/… for /es/afecciones/…), and the links and the
sitemap change with a build step. Here, in the site-wide app, because the catalogue is the
whole site's: every public page's words and addresses."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

from clinic_site.core.language import ENGLISH

HINT = (
    "Compile it in the build step, after the files are in place: "
    "`python manage.py compilemessages --locale {code}` (needs gettext; `make install` does it)."
)


def _shown(path):
    """A path as the project names it (relative to BASE_DIR when inside it)."""
    path = Path(path)
    return (
        str(path.relative_to(settings.BASE_DIR))
        if path.is_relative_to(settings.BASE_DIR)
        else str(path)
    )


@register(Tags.translation, deploy=True)
def check_catalogues_compiled(app_configs, **kwargs):
    problems = []
    for code, _name in settings.LANGUAGES:
        if code == ENGLISH:
            continue  # the words in the code are English: no catalogue needed
        folders = [Path(p) / code / "LC_MESSAGES" for p in settings.LOCALE_PATHS]
        folder = next((f for f in folders if (f / "django.po").exists()), None)
        if folder is None:
            folder = next((f for f in folders if (f / "django.mo").exists()), None)
        if folder is None:
            problems.append(
                Error(
                    f"No catalogue for language {code!r} in LOCALE_PATHS: its pages would be "
                    "in English.",
                    id="clinic_site.E001",
                )
            )
            continue
        source, compiled = folder / "django.po", folder / "django.mo"
        if not compiled.exists():
            problems.append(
                Error(
                    f"The {code!r} catalogue is not compiled ({_shown(compiled)} is missing): "
                    "its pages would show English words and English addresses.",
                    hint=HINT.format(code=code),
                    id="clinic_site.E001",
                )
            )
        elif source.exists() and compiled.stat().st_mtime < source.stat().st_mtime:
            problems.append(
                Error(
                    f"The compiled {code!r} catalogue ({_shown(compiled)}) is older than its "
                    f"source ({source.name}): what changed since would show in English.",
                    hint=HINT.format(code=code),
                    id="clinic_site.E002",
                )
            )
    return problems
