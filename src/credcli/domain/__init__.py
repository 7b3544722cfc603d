"""Pure credentialing rules: identifiers, dates, cycles, vocabularies. Standard library only."""
