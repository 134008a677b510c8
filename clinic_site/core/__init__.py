"""What the apps stand on: the clinic's details, languages, page metadata, the page cache, staff
sign-in and backups. Nothing here imports `conditions`, `contact` or `clinic_site.sitewide`
(pyproject.toml, import-linter), so any app may import it."""
