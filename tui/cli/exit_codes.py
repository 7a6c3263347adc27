"""The `faq` exit codes, in one place: 0 done, 1 no answer / problems found, 2 bad input."""

EXIT_OK = 0
EXIT_NO_ANSWER = 1  # also: lint found problems, a check did not pass, nothing was imported
EXIT_PROBLEM = EXIT_NO_ANSWER
EXIT_USAGE = 2  # bad input: a usage error, an unreadable or invalid file, a refused value
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
