# Reference outputs for Kenward-Roger df with numeric time and random slopes (issue 17 item 2):
# pbkrtest's Kenward-Roger through lmerTest on the dated cohort (dated_cohort.csv, make_dated.py).
# Run from the repository root:  Rscript tests/results/models/reference_kr_slopes.R
# R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, pbkrtest 0.5.2. months = days since the family's intake
# assessment / (365.25 / 12), as reference_time.R. Writes next to this script:
#   kr_slopes.csv        summary(m, ddf = "Kenward-Roger") coefficients (SE from vcovAdj, df from
#                        Lb_ddf) and, with a group, contest1D(m, L, ddf = "Kenward-Roger") of the
#                        slope within the non-reference group
#   kr_slopes_anova.csv  anova(m, type = 3, ddf = "Kenward-Roger") (scaled F, KR denominator df)
suppressPackageStartupMessages({library(lmerTest); library(pbkrtest)})
options(warn = 1)
here <- "tests/results/models"
ctrl <- lmerControl(optimizer = "nloptwrap", check.conv.singular = "ignore",
                    optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14, xtol_rel = 1e-14, maxeval = 1e5))
months_since_intake <- function(d) {
  d$assessed_on <- as.Date(d$assessed_on)
  start <- tapply(d$assessed_on[d$wave == "intake"], d$family_id[d$wave == "intake"], min)
  as.numeric(d$assessed_on - as.Date(start[d$family_id], origin = "1970-01-01")) / (365.25 / 12)
}
coefs <- list(); aovs <- list()
fit <- function(d, formula, domain, model, group = NULL) {
  m <- lmer(formula, data = d, REML = TRUE, control = ctrl)
  s <- summary(m, ddf = "Kenward-Roger")$coefficients
  out <- data.frame(domain, model, term = rownames(s), estimate = s[, 1], se = s[, 2], df = s[, 3],
                    t = s[, 4], p_value = s[, 5], row.names = NULL)
  if (!is.null(group)) {
    b <- names(fixef(m)); L <- setNames(rep(0, length(b)), b); L["months"] <- 1; L[paste0("months:", group)] <- 1
    r <- contest1D(m, L, ddf = "Kenward-Roger")
    out <- rbind(out, data.frame(domain, model, term = paste0("slope_in:", group), estimate = r$Estimate,
      se = r[["Std. Error"]], df = r$df, t = r[["t value"]], p_value = r[["Pr(>|t|)"]]))
  }
  coefs[[length(coefs) + 1]] <<- out
  a <- anova(m, type = 3, ddf = "Kenward-Roger")
  aovs[[length(aovs) + 1]] <<- data.frame(domain, model, term = rownames(a), f_value = a[["F value"]],
    df1 = a$NumDF, df2 = a$DenDF, p_value = a[["Pr(>F)"]])
}
d0 <- read.csv(file.path(here, "dated_cohort.csv"))
d0$months <- months_since_intake(d0)
d0$programme <- factor(d0$programme)
for (dom in unique(d0$domain)) {
  d <- d0[d0$domain == dom, ]
  fit(d, score ~ months + (1 | family_id), dom, "months")
  fit(d, score ~ months + (1 + months | family_id), dom, "slope")
  fit(d, score ~ months * programme + (1 + months | family_id), dom, "slope_by_programme",
      group = "programmeSamen Oplopen")
  fit(d, score ~ months + support_hours + (1 + months | family_id), dom, "slope_time_varying")
}
wr <- function(x, f) write.csv(do.call(rbind, x), file.path(here, f), row.names = FALSE)
wr(coefs, "kr_slopes.csv"); wr(aovs, "kr_slopes_anova.csv")
