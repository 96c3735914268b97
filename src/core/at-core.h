/* at-core.h — everything the GUI and the CLI may use from libattest-core */
#pragma once

#include "at-assessment.h"
#include "at-audit.h"
#include "at-bundle.h"
#include "at-catalog.h"
#include "at-error.h"
#include "at-evidence.h"
#include "at-finding.h"
#include "at-identity.h"
#include "at-indicator.h"
#include "at-nonconformity.h"
#include "at-report.h"
#include "at-signature.h"
#include "at-standards.h"
#include "at-store.h"
#include "at-util.h"
#include "at-workflow.h"
