"""Turning FAQ documents (text, HTML, Markdown, CSV/TSV, DOCX) into knowledge-base entries.

The flow runs one way: ``reading`` checks and decodes a source and hands it to a format
reader (``read_text``, ``read_markdown``, ``read_html`` with ``html_parts`` and
``read_jsonld``, ``read_table``, ``read_docx``), which gives blocks or ready pairs; ``junk``
drops what is not FAQ content; ``structure`` pairs questions with answers (``render`` makes
the Markdown); ``flags`` marks doubts; ``extract`` does all that for one source;
``languages`` joins two languages where that is certain; ``slug`` names entries;
``vocabulary`` finds glossary and tag suggestions; ``existing`` reads the output folder and
its manifest; ``plan`` decides every file, ``writing`` writes them and ``report`` describes
the result. Nothing here prints.
"""
