"""Publication pages in three modules: public pages (``public``: directory, organisation,
document, accessibility statement, open data), PDFs (``pdf``), and publishing (``manage``)."""
