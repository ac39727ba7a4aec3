#pragma once
#include <gvc.h>
#include <cgraph.h>
