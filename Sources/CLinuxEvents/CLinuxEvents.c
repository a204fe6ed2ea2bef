// Header-only module; SwiftPM needs one source file to build the target.
#include "CLinuxEvents.h"
