"""Keeping the data folder safe (no Qt): database checks (``dbcheck``), verified backups
(``backups``) and putting one back (``restoring``), where the folder lives and how much room it
has (``locations``), and the single-instance lock (``instance_lock``).
"""
