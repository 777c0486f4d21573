"""The ``eevee`` command line: one module per verb."""
