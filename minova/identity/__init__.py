"""Identity domain code (a Keystone v3 subset) below the API layer:
passwords, Fernet keys and tokens, the validation cache, role
assignments, the catalog and bootstrap."""
