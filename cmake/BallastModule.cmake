# ballast_add_module(NAME DEPS <public deps...> PRIVATE_DEPS <private deps...>)
# Creates the static library ballast_<NAME> (alias ballast::<NAME>) from every .cpp under
# src/ballast/<NAME>/. Headers sit beside the sources and are included as "ballast/<NAME>/x.hpp".
include_guard(GLOBAL)

function(ballast_project_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  if(BALLAST_WERROR)
    # -Wrestrict stays a warning: g++ 12 at -O3 reports false overlaps inside std::string's inlined
    # copies (GCC bug 105329), which would otherwise fail release builds of correct code.
    target_compile_options(${target} PRIVATE -Werror -Wno-error=restrict)
  endif()
endfunction()

function(ballast_sanitize target)
  if(BALLAST_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer
                                            -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

function(ballast_add_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  set(dir ${PROJECT_SOURCE_DIR}/src/ballast/${name})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  set(target ballast_${name})
  if(sources)
    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    ballast_project_warnings(${target})
    ballast_sanitize(${target})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(ballast::${name} ALIAS ${target})
endfunction()

# ballast_add_test_suite(MODULE DEPS ...): one GoogleTest executable per module from tests/<MODULE>/*_test.cpp.
function(ballast_add_test_suite module)
  cmake_parse_arguments(ARG "" "" "DEPS;LABELS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${module}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  set(target ballast_${module}_tests)
  add_executable(${target} ${sources})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} ballast_testkit GTest::gtest GTest::gmock GTest::gtest_main)
  ballast_project_warnings(${target})
  ballast_sanitize(${target})
  set(labels unit ${ARG_LABELS})
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "${labels}"
                       ENVIRONMENT "BALLAST_SHARED_DATA=${PROJECT_SOURCE_DIR}/../shared/data")
endfunction()
