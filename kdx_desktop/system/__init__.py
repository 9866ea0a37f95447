"""The seam between KDX and the operating system where Windows behaves differently: replacing and
removing files (:mod:`.files`) and the console streams (:mod:`.console`). Standard library only."""
