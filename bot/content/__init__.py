"""Patient-facing text as data: FAQ answers (faq.yml) and the assistant's own messages (messages.yml)."""
