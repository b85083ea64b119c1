// libstatex_cuda basics (statex/memory.h): thin status-returning wrappers over the CUDA runtime.
// The device count never fails for "no driver / no device": that is a count of zero with a reason.
#include <string.h>

#include "cuda_util.cuh"
#include "statex/memory.h"

namespace statex {
const char* last_error();
}
using namespace statex;

extern "C" {

STATEX_API int statex_cuda_abi_version(void) { return STATEX_ABI_VERSION; }
STATEX_API const char* statex_cuda_last_error(void) { return last_error(); }

STATEX_API statex_status statex_cuda_device_count(int* count) {
  STX_TRY(check_ptr("device_count count", count));
  *count = 0;
  cudaError_t e = cudaGetDeviceCount(count);
  if (e != cudaSuccess) {
    *count = 0;
    cudaGetLastError();  // clear the sticky-free error so later calls start clean
    set_error(STATEX_OK, "cudaGetDeviceCount: %s (%s, code %d)", cudaGetErrorString(e), cudaGetErrorName(e), (int)e);
    return STATEX_OK;
  }
  clear_error();
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_runtime_version(int* version) {
  STX_TRY(check_ptr("runtime_version", version));
  STX_CUDA(cudaRuntimeGetVersion(version));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_driver_version(int* version) {
  STX_TRY(check_ptr("driver_version", version));
  STX_CUDA(cudaDriverGetVersion(version));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_device_info(int device, char* name, int name_len, int64_t* total_bytes,
                                                 int* sm_count, int* cc_major, int* cc_minor, int64_t* l2_bytes,
                                                 int64_t* smem_optin) {
  cudaDeviceProp p;
  STX_CUDA(cudaGetDeviceProperties(&p, device));
  if (name && name_len > 0) {
    strncpy(name, p.name, (size_t)name_len - 1);
    name[name_len - 1] = '\0';
  }
  if (total_bytes) *total_bytes = (int64_t)p.totalGlobalMem;
  if (sm_count) *sm_count = p.multiProcessorCount;
  if (cc_major) *cc_major = p.major;
  if (cc_minor) *cc_minor = p.minor;
  if (l2_bytes) *l2_bytes = p.l2CacheSize;
  if (smem_optin) *smem_optin = (int64_t)p.sharedMemPerBlockOptin;
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_set_device(int device) {
  STX_CUDA(cudaSetDevice(device));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_mem_info(int64_t* free_bytes, int64_t* total_bytes) {
  size_t f = 0, t = 0;
  STX_CUDA(cudaMemGetInfo(&f, &t));
  if (free_bytes) *free_bytes = (int64_t)f;
  if (total_bytes) *total_bytes = (int64_t)t;
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_malloc(void** out, int64_t bytes) {
  STX_TRY(check_ptr("cuda_malloc out", out));
  STX_TRY(check_nonneg("cuda_malloc bytes", bytes));
  *out = nullptr;
  cudaError_t e = cudaMalloc(out, (size_t)(bytes == 0 ? 1 : bytes));
  if (e != cudaSuccess) {
    cudaGetLastError();  // an allocation failure is not sticky; clear it for the caller's retry
    return cuda_fail(e, "cudaMalloc");
  }
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_free(void* ptr) {
  STX_CUDA(cudaFree(ptr));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_memcpy_async(void* dst, const void* src, int64_t bytes, void* stream) {
  STX_TRY(check_nonneg("memcpy bytes", bytes));
  if (bytes == 0) return STATEX_OK;
  STX_CUDA(cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyDefault, as_stream(stream)));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_copy_to_host(void* host_dst, const void* dev_src, int64_t bytes, void* stream) {
  STX_TRY(check_nonneg("copy_to_host bytes", bytes));
  if (bytes == 0) return STATEX_OK;
  STX_CUDA(cudaMemcpyAsync(host_dst, dev_src, (size_t)bytes, cudaMemcpyDeviceToHost, as_stream(stream)));
  STX_CUDA(cudaStreamSynchronize(as_stream(stream)));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_copy_from_host(void* dev_dst, const void* host_src, int64_t bytes, void* stream) {
  STX_TRY(check_nonneg("copy_from_host bytes", bytes));
  if (bytes == 0) return STATEX_OK;
  STX_CUDA(cudaMemcpyAsync(dev_dst, host_src, (size_t)bytes, cudaMemcpyHostToDevice, as_stream(stream)));
  STX_CUDA(cudaStreamSynchronize(as_stream(stream)));  // the host buffer is released right after return
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_memset_async(void* dst, int value, int64_t bytes, void* stream) {
  STX_TRY(check_nonneg("memset bytes", bytes));
  if (bytes == 0) return STATEX_OK;
  STX_CUDA(cudaMemsetAsync(dst, value, (size_t)bytes, as_stream(stream)));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_stream_create(void** stream) {
  STX_TRY(check_ptr("stream_create", stream));
  cudaStream_t s;
  STX_CUDA(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  *stream = (void*)s;
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_stream_destroy(void* stream) {
  STX_CUDA(cudaStreamDestroy(as_stream(stream)));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_stream_synchronize(void* stream) {
  STX_CUDA(cudaStreamSynchronize(as_stream(stream)));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_device_synchronize(void) {
  STX_CUDA(cudaDeviceSynchronize());
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_event_create(void** event) {
  STX_TRY(check_ptr("event_create", event));
  cudaEvent_t e;
  STX_CUDA(cudaEventCreate(&e));
  *event = (void*)e;
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_event_destroy(void* event) {
  STX_CUDA(cudaEventDestroy((cudaEvent_t)event));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_event_record(void* event, void* stream) {
  STX_CUDA(cudaEventRecord((cudaEvent_t)event, as_stream(stream)));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_event_synchronize(void* event) {
  STX_CUDA(cudaEventSynchronize((cudaEvent_t)event));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_stream_wait_event(void* stream, void* event) {
  STX_CUDA(cudaStreamWaitEvent(as_stream(stream), (cudaEvent_t)event, 0));
  return STATEX_OK;
}

STATEX_API statex_status statex_cuda_event_elapsed_ms(float* ms, void* start, void* end) {
  STX_TRY(check_ptr("event_elapsed ms", ms));
  STX_CUDA(cudaEventElapsedTime(ms, (cudaEvent_t)start, (cudaEvent_t)end));
  return STATEX_OK;
}

}  // extern "C"
