"""Turning FAQ documents (text, HTML, Markdown, CSV/TSV, DOCX) into knowledge-base entries.

The flow runs one way: ``reading`` decodes a source and hands it to a format reader
(``read_text``, ``read_markdown``, ``read_html``, ``read_table``, ``read_docx``), which gives
blocks or ready pairs; ``junk`` drops what is not FAQ content; ``structure`` pairs questions
with answers; ``flags`` marks doubts; ``languages`` joins two languages where that is certain;
``slug`` names entries; ``vocabulary`` drafts tags and glossary terms; ``plan`` puts it all
together and ``writing`` writes a knowledge-base folder. Nothing here prints.
"""
