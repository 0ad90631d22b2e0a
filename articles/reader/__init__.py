"""The reader side's machinery, apart from the page models: `rendered` keeps the HTML of
reader pages, rendered once per content version for anonymous readers."""
