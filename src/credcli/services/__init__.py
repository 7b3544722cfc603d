"""Use cases. Each function takes ``*, session`` and returns models or plain data."""
