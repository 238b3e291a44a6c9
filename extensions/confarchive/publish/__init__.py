"""What is published beside the pages: Atom feeds, the sitemap, redirects from old addresses."""
