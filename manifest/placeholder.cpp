// placeholder so the library is never empty
namespace distbuild::manifest {}
