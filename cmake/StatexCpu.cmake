# libstatex: the CPU kernels (the plain, correct implementation CI runs). Every .cpp under cpu/ is part of it.
find_package(Threads REQUIRED)
file(GLOB_RECURSE STATEX_CPU_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/main/cpp/cpu/*.cpp")
add_library(statex SHARED ${STATEX_CPU_SOURCES} ${STATEX_COMMON_SOURCES})
target_include_directories(statex PUBLIC "${STATEX_INCLUDE_DIR}" PRIVATE "${STATEX_COMMON_DIR}")
target_compile_options(statex PRIVATE -O3 -march=x86-64-v2 -Wall -Wextra -Wno-unused-parameter)
target_compile_definitions(statex PRIVATE STATEX_BUILDING)
target_link_libraries(statex PRIVATE Threads::Threads)
