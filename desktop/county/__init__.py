"""The county workspace: review, consolidation dashboard, duplicates and Excel."""
