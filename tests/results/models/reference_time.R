# Reference outputs for issue 17 item 4: time as a number (months since intake from assessed_on),
# random slopes and a time-varying covariate.
# Run from the repository root:  Rscript tests/results/models/reference_time.R
# R 4.2.2, lme4 1.1-31, lmerTest 3.1-3. Data: dated_cohort.csv (make_dated.py) and the sample cohort
# (tests/results/mixed/sample_assessments.csv). months = days since the family's intake assessment
# / (365.25 / 12). Writes next to this script:
#   time_coef.csv   lmerTest summary() coefficients (estimate, se, Satterthwaite df, t, p) and, with
#                   a group, contest1D() of the slope within the non-reference group
#   time_var.csv    VarCorr (var_family, var_slope, cor_intercept_slope, var_residual), REMLcrit, logLik,
#                   isSingular
#   time_anova.csv  anova(type = 3) F tests; anova(m_intercept, m_slope, refit = FALSE) chi-square
suppressPackageStartupMessages(library(lmerTest))
options(warn = 1)
here <- "tests/results/models"
ctrl <- lmerControl(optimizer = "nloptwrap", check.conv.singular = "ignore",
                    optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14, xtol_rel = 1e-14, maxeval = 1e5))
coefs <- list(); vars <- list(); aovs <- list()
months_since_intake <- function(d) {
  d$assessed_on <- as.Date(d$assessed_on)
  start <- tapply(d$assessed_on[d$wave == "intake"], d$family_id[d$wave == "intake"], min)
  as.numeric(d$assessed_on - as.Date(start[d$family_id], origin = "1970-01-01")) / (365.25 / 12)
}
fit <- function(d, formula, dataset, domain, model, group = NULL) {
  m <- lmer(formula, data = d, REML = TRUE, control = ctrl)
  s <- summary(m)$coefficients
  out <- data.frame(dataset, domain, model, term = rownames(s), estimate = s[, 1], se = s[, 2], df = s[, 3],
                    t = s[, 4], p_value = s[, 5], row.names = NULL)
  if (!is.null(group)) {
    b <- names(fixef(m)); L <- setNames(rep(0, length(b)), b); L["months"] <- 1; L[paste0("months:", group)] <- 1
    r <- contest1D(m, L)
    out <- rbind(out, data.frame(dataset, domain, model, term = paste0("slope_in:", group), estimate = r$Estimate,
      se = r[["Std. Error"]], df = r$df, t = r[["t value"]], p_value = r[["Pr(>|t|)"]]))
  }
  coefs[[length(coefs) + 1]] <<- out
  vc <- as.data.frame(VarCorr(m))
  slope <- nrow(vc) == 4
  vars[[length(vars) + 1]] <<- data.frame(dataset, domain, model, var_family = vc$vcov[1],
    var_slope = if (slope) vc$vcov[2] else NA, cor_intercept_slope = if (slope) vc$sdcor[3] else NA,
    var_residual = vc$vcov[nrow(vc)], criterion = REMLcrit(m), loglik = as.numeric(logLik(m)),
    n_par = attr(logLik(m), "df"), singular = isSingular(m), n_obs = nobs(m))
  a <- anova(m, type = 3)
  aovs[[length(aovs) + 1]] <<- data.frame(dataset, domain, model, term = rownames(a), statistic = a[["F value"]],
    df1 = a$NumDF, df2 = a$DenDF, p_value = a[["Pr(>F)"]])
  m
}
d0 <- read.csv(file.path(here, "dated_cohort.csv"))
d0$months <- months_since_intake(d0)
d0$wave <- factor(d0$wave, levels = c("intake", "year1", "year2"))
d0$programme <- factor(d0$programme)
for (dom in unique(d0$domain)) {
  d <- d0[d0$domain == dom, ]
  m1 <- fit(d, score ~ months + (1 | family_id), "dated", dom, "months")
  m2 <- fit(d, score ~ months + (1 + months | family_id), "dated", dom, "slope")
  fit(d, score ~ months * programme + (1 + months | family_id), "dated", dom, "slope_by_programme",
      group = "programmeSamen Oplopen")
  fit(d, score ~ wave + support_hours + (1 | family_id), "dated", dom, "time_varying")
  fit(d, score ~ months + support_hours + (1 + months | family_id), "dated", dom, "slope_time_varying")
  a <- anova(m1, m2, refit = FALSE)
  aovs[[length(aovs) + 1]] <- data.frame(dataset = "dated", domain = dom, model = "lrt_slope", term = "chisq",
    statistic = a$Chisq[2], df1 = a$Df[2], df2 = NA, p_value = a[["Pr(>Chisq)"]][2])
}
w <- read.csv("tests/results/mixed/sample_assessments.csv")
w$months <- months_since_intake(w)
for (dom in c("finances", "mental_wellbeing")) {
  d <- data.frame(family_id = w$family_id, months = w$months, score = w[[dom]])
  d <- d[!is.na(d$score) & !is.na(d$months), ]
  fit(d, score ~ months + (1 + months | family_id), "sample", dom, "slope")
}
wr <- function(x, f) write.csv(do.call(rbind, x), file.path(here, f), row.names = FALSE)
wr(coefs, "time_coef.csv"); wr(vars, "time_var.csv"); wr(aovs, "time_anova.csv")
