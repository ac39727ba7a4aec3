enum PlaceholderCLI {}
