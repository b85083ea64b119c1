/*
 * Memory, streams, events and device queries.
 *   CPU: 64-byte aligned host allocations and plain copies between host buffers (the Java side passes
 *        its arrays as host pointers for the duration of the call).
 *   CUDA: thin, status-returning wrappers over the CUDA runtime, so that the Java runtime layer needs
 *        no other binding for them. Device memory is taken with cudaMalloc only (never managed memory).
 */
#ifndef STATEX_MEMORY_H
#define STATEX_MEMORY_H

#include "statex/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- CPU ---------------------------------------------------------------------------------------- */
STATEX_API statex_status statex_cpu_alloc(void** out, int64_t bytes);
STATEX_API statex_status statex_cpu_free(void* ptr);
STATEX_API statex_status statex_cpu_memcpy(void* dst, const void* src, int64_t bytes);

/* ---- CUDA --------------------------------------------------------------------------------------- */
/* Number of usable devices. Without a driver or GPU this returns STATEX_OK with *count = 0 and the
 * runtime's reason in statex_cuda_last_error(); it never fails for that reason. */
STATEX_API statex_status statex_cuda_device_count(int* count);
STATEX_API statex_status statex_cuda_runtime_version(int* version);
STATEX_API statex_status statex_cuda_driver_version(int* version);
/* name: caller buffer of name_len bytes. */
STATEX_API statex_status statex_cuda_device_info(int device, char* name, int name_len, int64_t* total_bytes,
                                                 int* sm_count, int* cc_major, int* cc_minor,
                                                 int64_t* l2_bytes, int64_t* smem_per_block_optin);
STATEX_API statex_status statex_cuda_set_device(int device);
STATEX_API statex_status statex_cuda_mem_info(int64_t* free_bytes, int64_t* total_bytes);
STATEX_API statex_status statex_cuda_malloc(void** out, int64_t bytes);
STATEX_API statex_status statex_cuda_free(void* ptr);
/* Asynchronous copy on a stream, any direction (cudaMemcpyDefault; host memory must stay valid). */
STATEX_API statex_status statex_cuda_memcpy_async(void* dst, const void* src, int64_t bytes, void* stream);
/* Synchronous copies between pageable host memory and the device (the host buffer may be reused at
 * return): the stream is synchronised first so that earlier work on it is ordered before the copy. */
STATEX_API statex_status statex_cuda_copy_to_host(void* host_dst, const void* dev_src, int64_t bytes, void* stream);
STATEX_API statex_status statex_cuda_copy_from_host(void* dev_dst, const void* host_src, int64_t bytes, void* stream);
STATEX_API statex_status statex_cuda_memset_async(void* dst, int value, int64_t bytes, void* stream);
STATEX_API statex_status statex_cuda_stream_create(void** stream);
STATEX_API statex_status statex_cuda_stream_destroy(void* stream);
STATEX_API statex_status statex_cuda_stream_synchronize(void* stream);
STATEX_API statex_status statex_cuda_device_synchronize(void);
STATEX_API statex_status statex_cuda_event_create(void** event);
STATEX_API statex_status statex_cuda_event_destroy(void* event);
STATEX_API statex_status statex_cuda_event_record(void* event, void* stream);
STATEX_API statex_status statex_cuda_event_synchronize(void* event);
STATEX_API statex_status statex_cuda_stream_wait_event(void* stream, void* event);
STATEX_API statex_status statex_cuda_event_elapsed_ms(float* ms, void* start, void* end);
STATEX_API int statex_cuda_abi_version(void);
STATEX_API const char* statex_cuda_last_error(void);

#ifdef __cplusplus
}
#endif
#endif
