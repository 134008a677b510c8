"""The staff side of articles: writing, publishing, medical review, history and readability.

One module per concern: `articles.py` puts the article admins together from `editor.py` (the
section boxes and their preview), `roles.py` (who may do what: the README's "Staff roles"),
`review.py` (the checklist and the changes against the live version), `translations.py`,
`readability.py`, `history.py` and `links.py` (links within one language, the link search);
`inlines.py` holds sources and images, `filters.py` the list filters, `writing_help.py` the
plainer words. Importing the package registers them all.
"""

from . import articles, writing_help  # noqa: F401  (registers the admins)
