"""Ways in for people who do not write RDF: tables, spreadsheets, inventories, the questionnaire."""
