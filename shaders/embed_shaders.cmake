# Writes OUT, a C++ header holding each shader of the folder as a string constant, so the
# installed binary needs no source tree: cmake -DOUT=header -DSHADER_DIR=shaders -P this.
# The constant of heatmap.frag is kShader_heatmap_frag.
file(GLOB SHADERS "${SHADER_DIR}/*.vert" "${SHADER_DIR}/*.frag")
list(SORT SHADERS)
set(text "// Generated from shaders/ by shaders/embed_shaders.cmake at build time: do not edit.\n")
string(APPEND text "#pragma once\n\nnamespace convlens {\n")
foreach(path IN LISTS SHADERS)
  get_filename_component(name "${path}" NAME)
  string(MAKE_C_IDENTIFIER "kShader_${name}" symbol)
  file(READ "${path}" source)
  string(APPEND text "\ninline constexpr const char* ${symbol} = R\"glsl(${source})glsl\";\n")
endforeach()
string(APPEND text "\n}  // namespace convlens\n")
# Rewritten only when it changes, so an unchanged shader rebuilds nothing.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE "${OUT}" "${text}")
endif()
