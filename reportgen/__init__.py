"""reportgen: rank state agencies on IT use and draft the province's decision.

The library's face is `reportgen.api` (docs/api.md); its names are here too, loaded on first
use so that importing reportgen (and starting the CLI) stays light:

    import reportgen
    checked = reportgen.check("samples/quang-nam-2019")
    built = reportgen.build("samples/quang-nam-2019", out="out/quang-nam-2019")
"""

import importlib
import importlib.util

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    if name.startswith("_"):
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
    if importlib.util.find_spec(f"{__name__}.{name}"):
        # a subpackage (`reportgen.judge`, `reportgen.render`) is imported, never shadowed
        return importlib.import_module(f"{__name__}.{name}")
    api = importlib.import_module("reportgen.api")
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *importlib.import_module("reportgen.api").__all__])
