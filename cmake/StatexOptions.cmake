# Options and defaults shared by every native target.
set(STATEX_CUDA "AUTO" CACHE STRING "Build the CUDA library: AUTO (when a CUDA compiler is found), ON, OFF")
set(NATIVE_OUT_DIR "${CMAKE_BINARY_DIR}/out" CACHE PATH "Where the shared libraries go (the jar's platform folder)")
set(JNI_GEN_DIR "" CACHE PATH "Folder with the JavaCPP-generated jnistatex*.cpp files")
set(JNI_INCLUDE_DIRS "" CACHE STRING "jni.h folders")

if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
set(CMAKE_CXX_VISIBILITY_PRESET hidden)
# Libraries find each other next to themselves, in the jar's platform folder or JavaCPP's cache.
set(CMAKE_BUILD_RPATH_USE_ORIGIN ON)
set(CMAKE_SKIP_BUILD_RPATH OFF)
set(CMAKE_BUILD_WITH_INSTALL_RPATH ON)
set(CMAKE_INSTALL_RPATH "$ORIGIN")
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY "${NATIVE_OUT_DIR}")

set(STATEX_INCLUDE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/src/main/cpp/include")
set(STATEX_COMMON_DIR "${CMAKE_CURRENT_SOURCE_DIR}/src/main/cpp")
# Shared C++ (argument checks, the thread-local error buffer): compiled into each library separately.
file(GLOB STATEX_COMMON_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/main/cpp/common/*.cpp")
