"""The shared kernel: plumbing every app may use; it imports no domain app."""
