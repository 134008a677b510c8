"""What is built on the apps: the site's own pages (home, urgent help, sitemap, error pages) and
search across every kind of article. Modules here may import the apps; no app imports them."""
