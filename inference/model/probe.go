package model

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// The first two members of OrtApiBase (onnxruntime_c_api.h); stable since 1.0.
typedef struct {
	const void* (*GetApi)(uint32_t version);
	const char* (*GetVersionString)(void);
} ecgApiBase;
typedef const ecgApiBase* (*ecgGetApiBase)(void);

// ecg_probe opens the library at path, reads its version into ver and
// checks that it offers C API version api. It returns 0 on success, 1 when
// dlopen fails (message in msg), 2 when OrtGetApiBase is missing, 3 when
// the API version is not offered.
static int ecg_probe(const char* path, uint32_t api, char* ver, char* msg, size_t n) {
	void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char* e = dlerror();
		snprintf(msg, n, "%s", e ? e : "dlopen failed");
		return 1;
	}
	ecgGetApiBase f = (ecgGetApiBase)dlsym(h, "OrtGetApiBase");
	if (!f) {
		dlclose(h);
		return 2;
	}
	const ecgApiBase* b = f();
	snprintf(ver, n, "%s", b->GetVersionString());
	int ok = b->GetApi(api) != NULL;
	dlclose(h);
	return ok ? 0 : 3;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// ortAPIVersion is the ONNX Runtime C API version onnxruntime_go v1.27.0
// asks for (ORT_API_VERSION in its onnxruntime_c_api.h): ONNX Runtime 1.24.
const ortAPIVersion = 24

// probeLibrary checks that path is an ONNX Runtime shared library that
// offers ortAPIVersion, and returns its version string. It does not touch
// the process-wide environment that onnxruntime_go keeps.
func probeLibrary(path string) (string, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	const n = 512
	ver := (*C.char)(C.calloc(n, 1))
	msg := (*C.char)(C.calloc(n, 1))
	defer C.free(unsafe.Pointer(ver))
	defer C.free(unsafe.Pointer(msg))
	switch C.ecg_probe(cpath, ortAPIVersion, ver, msg, n) {
	case 1:
		return "", fmt.Errorf("cannot load it: %s", C.GoString(msg))
	case 2:
		return "", fmt.Errorf("it is not an ONNX Runtime library (no OrtGetApiBase)")
	case 3:
		return C.GoString(ver), fmt.Errorf("it is ONNX Runtime %s, which lacks C API version %d: ONNX Runtime 1.24 or newer is needed", C.GoString(ver), ortAPIVersion)
	}
	return C.GoString(ver), nil
}
