// The template engine lives here (see ARCHITECTURE.md).
