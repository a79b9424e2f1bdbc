"""Ralph's LRS application as the tests run it (imported by Ralph's own Python, not ours).

Ralph 5.1's file-system backend writes with CREATE, which refuses every write
after the first to its one JSON-lines file (backends/data/fs.py): the server
would store a single batch and answer 500 to the next. Its file is made for
appending, so the tests make that its default; everything else (HTTP, login,
statement validation, duplicate ids) is Ralph's own.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402

__all__ = ["app"]
