# libstatex_cuda: the CUDA kernels, built whenever a CUDA compiler is present (targets sm_80 and sm_90a).
# Linked against the shared cudart only (never libcuda), so it loads on machines without a GPU and the
# process shares one CUDA runtime with the JavaCPP presets (cuBLAS, NCCL).
set(STATEX_HAVE_CUDA OFF)
if(STATEX_CUDA STREQUAL "OFF")
  message(STATUS "statex: CUDA library disabled (STATEX_CUDA=OFF); building the CPU library only")
  return()
endif()

include(CheckLanguage)
if(NOT CMAKE_CUDA_COMPILER AND EXISTS "/usr/local/cuda/bin/nvcc")
  set(CMAKE_CUDA_COMPILER "/usr/local/cuda/bin/nvcc")
endif()
check_language(CUDA)
if(NOT CMAKE_CUDA_COMPILER)
  if(STATEX_CUDA STREQUAL "ON")
    message(FATAL_ERROR "statex: STATEX_CUDA=ON but no CUDA compiler was found")
  endif()
  message(STATUS "statex: no CUDA compiler found; building the CPU library only")
  return()
endif()

enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
set(STATEX_HAVE_CUDA ON)
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)

file(GLOB_RECURSE STATEX_CUDA_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/main/cuda/*.cu")
add_library(statex_cuda SHARED ${STATEX_CUDA_SOURCES} ${STATEX_COMMON_SOURCES})
set_target_properties(statex_cuda PROPERTIES CUDA_ARCHITECTURES OFF CUDA_RUNTIME_LIBRARY Shared)
target_include_directories(statex_cuda PUBLIC "${STATEX_INCLUDE_DIR}" PRIVATE "${STATEX_COMMON_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/src/main/cuda")
# sm_80 (A100) and sm_90a (H100/H200, wgmma-capable) machine code; no PTX JIT at start-up.
target_compile_options(statex_cuda PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-O3 -Wall>
  $<$<COMPILE_LANGUAGE:CUDA>:-gencode=arch=compute_80,code=sm_80 -gencode=arch=compute_90a,code=sm_90a
  --expt-relaxed-constexpr -lineinfo -O3 -Xcompiler=-fvisibility=hidden>)
target_compile_definitions(statex_cuda PRIVATE STATEX_BUILDING)
target_link_libraries(statex_cuda PRIVATE CUDA::cudart)
set_target_properties(statex_cuda PROPERTIES BUILD_RPATH "$ORIGIN;${CUDAToolkit_LIBRARY_DIR}")
message(STATUS "statex: CUDA library enabled (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, sm_80 + sm_90a)")
