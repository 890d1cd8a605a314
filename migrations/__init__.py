"""Alembic migrations, shipped as a package so that an installed copy can migrate too."""
