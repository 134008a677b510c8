"""Site search: conditions, treatments, guides and the urgent advice, in the reader's language."""
