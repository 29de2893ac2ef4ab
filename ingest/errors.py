"""The one error type of the ingest package. The CLI turns it into a message and an exit code,
the UI into a readable notice; the message always names the file and what to do."""


class IngestError(Exception):
    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason
