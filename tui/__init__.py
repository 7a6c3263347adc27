"""faq-assistant terminal front end: the `faq` command line and the Textual app."""
