#!/usr/bin/env bash
# Where is cuDNN on this GPU host, and do KernelForge's own cuDNN declarations work against it? Writes to stdout.
set -uo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import torch
print("torch", torch.__version__, "cudnn", torch.backends.cudnn.version(), "allow_tf32", torch.backends.cudnn.allow_tf32)
try:
    import nvidia.cudnn as m
    print("nvidia.cudnn", list(m.__path__))
except Exception as e:
    print("no nvidia.cudnn package:", e)
PY
find / -xdev \( -name 'libcudnn*.so*' -o -name 'cudnn.h' -o -name 'cudnn_version.h' \) 2>/dev/null | grep -v '^/proc' | head -40
lib=$(find / -xdev -name 'libcudnn.so.9' 2>/dev/null | head -1)
[[ -z $lib ]] && lib=$(find / -xdev -name 'libcudnn.so*' 2>/dev/null | head -1)
echo "library: $lib"
[[ -z $lib ]] && exit 1
dir=$(dirname "$lib")
readelf -d "$lib" | grep -i 'rpath\|runpath\|needed'
hdr=$(find / -xdev -name 'cudnn.h' 2>/dev/null | head -1)
if [[ -n $hdr ]]; then
  nvcc -arch=sm_90 -I "$(dirname "$hdr")" cudnn_header_check.cu -o /tmp/kf_header_check && /tmp/kf_header_check
fi
nvcc -O2 -arch=sm_90 cudnn_probe.cu -o /tmp/kf_cudnn_probe -Xlinker --no-as-needed -Xlinker "$lib" -Xlinker "-rpath,$dir" && env -u LD_LIBRARY_PATH /tmp/kf_cudnn_probe
echo "probe exit $?"
