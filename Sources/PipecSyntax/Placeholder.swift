enum PlaceholderSyntax {}
