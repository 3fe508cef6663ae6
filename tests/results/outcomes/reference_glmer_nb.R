# lme4::glmer.nb on the same cohorts as reference.R, kept to show why it is NOT impactkit's reference for
# the negative binomial GLMM.  Run from the repository root:  Rscript tests/results/outcomes/reference_glmer_nb.R
# R 4.2.2, lme4 1.1-31 (Debian bookworm).  Reads synthetic_counts.csv and epil_counts.csv (written by
# reference.R); writes ref_glmer_nb.csv next to this script: per outcome the fixed effects, sd_family and
# theta of glmer.nb (Laplace, theta by lme4's profile optimisation), or status = the error it stopped with.
#
# What it shows (tests/outcomes/test_count_models.py::test_glmer_nb_is_a_cruder_approximation):
# lme4's Laplace approximation for a non-canonical family (NB2 with a log link) uses PIRLS with the expected
# information, not the exact Hessian glmmTMB (TMB) and impactkit use, so glmer.nb lands further from the
# exact marginal likelihood (negbin_exact in ref_glmm.csv, integrated per family by stats::integrate) than
# glmmTMB's Laplace fit or impactkit's 25-node adaptive quadrature, e.g. the intercept of nuisance_report
# (0.107 against 0.220 exact and 0.243 glmmTMB), and on social_work it stops ("pwrssUpdate did not
# converge").  impactkit is therefore checked against glmmTMB(family = nbinom2) and the exact likelihood.
suppressPackageStartupMessages(library(lme4))
here <- "tests/results/outcomes"
syn <- read.csv(file.path(here, "synthetic_counts.csv"))
ep <- read.csv(file.path(here, "epil_counts.csv"))
ctrl <- glmerControl(optimizer = "nloptwrap", tolPwrss = 1e-10, check.conv.singular = "ignore",
                     optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14, xtol_rel = 1e-12, maxeval = 1e5))
out <- list()
for (o in c(sort(unique(syn$outcome)), "seizures")) {
  d <- if (o == "seizures") ep else syn[syn$outcome == o, ]
  d$phase <- factor(d$phase, levels = intersect(c("before", "during", "after"), unique(d$phase)))
  d$family_id <- factor(d$family_id)
  dataset <- if (o == "seizures") "epil" else "synthetic"
  m <- tryCatch(glmer.nb(count ~ phase + offset(log(exposure_years)) + (1 | family_id), data = d, control = ctrl),
                error = function(e) conditionMessage(e))
  if (is.character(m)) {
    out[[length(out) + 1]] <- data.frame(dataset, outcome = o, term = NA, estimate = NA, status = m)
    next
  }
  b <- fixef(m)
  out[[length(out) + 1]] <- data.frame(dataset, outcome = o, term = c(names(b), "sd_family", "theta"),
    estimate = c(unname(b), attr(VarCorr(m)[[1]], "stddev"), getME(m, "glmer.nb.theta")), status = "ok")
}
write.csv(do.call(rbind, out), file.path(here, "ref_glmer_nb.csv"), row.names = FALSE)
cat(R.version.string, "lme4", format(packageVersion("lme4")), "\n")
