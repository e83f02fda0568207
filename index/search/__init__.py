"""Full-text search: crosswire's query language, snippets, and the Whoosh index behind them."""
