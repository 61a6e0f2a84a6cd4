"""KernelForge extension runner: builds and runs torch-extension candidates, never sees expected outputs.

Run it as ``python -m kforge_worker.extension``. It speaks JSON lines like the reference worker (same protocol
version, same error shape; docs/protocol.md, "Extension runner"). Candidates come in the formats that LLMs and
public datasets write: a KernelBench ``class ModelNew(nn.Module)`` Python file, or a ``.cu`` file with a pybind11
``forward``. The runner gets the reference worker's input ``.npy`` files, writes the candidate's outputs as
``.npy`` files, and the worker checks them exactly as it checks ABI outputs.
"""
