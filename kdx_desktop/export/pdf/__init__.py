"""PDF documents: :mod:`.layout` holds the reusable Decree 30 page furniture, :mod:`.report`
the agency's yearly report. reportlab is imported only when a document is built."""
