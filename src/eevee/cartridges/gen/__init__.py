"""Asset generators: readable text (ASCII maps, tile art, dialogue) → C source.

Each cartridge may have a module ``eevee.cartridges.gen.<name>`` with::

    def generate(source_dir: Path, build_dir: Path) -> dict | None

It reads the text assets under ``source_dir``, writes generated ``.c``/``.h`` files into
``build_dir`` (compiled with the cartridge's own C files), and returns the cartridge's
ground truth (area graph, reachable tiles, quest steps) as JSON-able data, or None.
Output must be deterministic: same input text, same bytes.
"""
