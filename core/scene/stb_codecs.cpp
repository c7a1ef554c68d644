// The one translation unit that compiles Debian's stb_image (PNG and JPEG decoding only)
// and stb_image_resize; image_input.cpp is their only user.
//
// Only the two formats a scene may name are compiled in: fewer decoders, fewer ways for
// a hostile file to reach code nobody needs. The headers live under /usr/include, a
// system directory, so their own warnings do not trip -Werror.
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO   // files are read by image_input.cpp with its own checks
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 16384  // kMaxImageSourceExtent
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>
