# Reference outputs for impactkit.measures.mixed_model / clmm / gee.
# Run from the repository root:  Rscript tests/results/mixed/reference.R
# R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, ordinal 2022.11-16, geepack 1.3.9 (Debian bookworm).
# Writes, next to this script:
#   *_long.csv         the data as fitted (sleepstudy subset, singular toy, sample cohort long)
#   ref_lmm.csv        fixed effects / contrasts: estimate, se, df, t, p_value (lmerTest summary, contest1D)
#   ref_lmm_var.csv    var_family, var_residual, REML criterion, singular flag
#   ref_anova.csv      F tests: anova(m, type = 3, ddf = "Satterthwaite") and contestMD for within-group tests
#   ref_clmm.csv       ordinal::clmm(nAGQ = 10): thresholds, wave effects, SD of the family intercept, logLik
#   ref_gee.csv        geepack::geeglm(corstr = "exchangeable"): estimate, robust se, alpha
suppressPackageStartupMessages({
  library(lmerTest); library(ordinal); library(geepack)
})
here <- "tests/results/mixed"
ctrl <- lmerControl(optimizer = "nloptwrap",
                    optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-12, xtol_rel = 1e-12, maxeval = 1e5))
lmm <- list(); vars <- list(); aov <- list(); clm <- list(); gee <- list()

fit_lmm <- function(d, formula, dataset, domain, model, reml = TRUE, groups = NULL, by = NULL) {
  m <- suppressMessages(lmer(formula, data = d, REML = reml, control = ctrl))
  co <- summary(m)$coefficients
  ci <- do.call(rbind, lapply(seq_len(nrow(co)), function(i) {  # lmerTest's 95% CI per coefficient
    L <- rep(0, nrow(co)); L[i] <- 1; contest1D(m, L, confint = TRUE)[, c("lower", "upper")] }))
  out <- data.frame(dataset, domain, model, group = NA, term = rownames(co), estimate = co[, 1],
                    se = co[, 2], df = co[, 3], t = co[, 4], p_value = co[, 5],
                    ci_low = ci$lower, ci_high = ci$upper)
  if (!is.null(by)) {  # contrasts within every non-reference group
    b <- names(fixef(m))
    for (g in groups[-1]) {
      for (tm in b[grepl("^(\\(Intercept\\)|wave[^:]*)$", b)]) {
        L <- setNames(rep(0, length(b)), b); L[tm] <- 1
        L[if (tm == "(Intercept)") paste0(by, g) else paste0(tm, ":", by, g)] <- 1
        r <- contest1D(m, L, confint = TRUE)
        out <- rbind(out, data.frame(dataset, domain, model, group = g, term = tm, estimate = r$Estimate,
                                     se = r[["Std. Error"]], df = r$df, t = r[["t value"]],
                                     p_value = r[["Pr(>|t|)"]], ci_low = r$lower, ci_high = r$upper))
      }
      Lw <- t(sapply(b[grepl("^wave[^:]*$", b)], function(tm) {
        L <- setNames(rep(0, length(b)), b); L[tm] <- 1; L[paste0(tm, ":", by, g)] <- 1; L }))
      r <- contestMD(m, Lw)
      aov[[length(aov) + 1]] <<- data.frame(dataset, domain, model, group = g, term = "wave",
        f_value = r[["F value"]], df1 = r$NumDF, df2 = r$DenDF, p_value = r[["Pr(>F)"]])
    }
    Lw <- t(sapply(b[grepl("^wave[^:]*$", b)], function(tm) { L <- setNames(rep(0, length(b)), b); L[tm] <- 1; L }))
    r <- contestMD(m, Lw)
    aov[[length(aov) + 1]] <<- data.frame(dataset, domain, model, group = groups[1], term = "wave",
      f_value = r[["F value"]], df1 = r$NumDF, df2 = r$DenDF, p_value = r[["Pr(>F)"]])
  }
  lmm[[length(lmm) + 1]] <<- out
  vc <- as.data.frame(VarCorr(m))
  vars[[length(vars) + 1]] <<- data.frame(dataset, domain, model, var_family = vc$vcov[1],
    var_residual = vc$vcov[2], criterion = if (reml) REMLcrit(m) else deviance(m), singular = isSingular(m),
    n_obs = nobs(m), n_families = ngrps(m)[[1]])
  a <- anova(m, type = 3, ddf = "Satterthwaite")
  aov[[length(aov) + 1]] <<- data.frame(dataset, domain, model, group = NA, term = rownames(a),
    f_value = a[["F value"]], df1 = a$NumDF, df2 = a$DenDF, p_value = a[["Pr(>F)"]])
  invisible(m)
}

fit_clmm <- function(d, dataset, domain) {
  d$y <- factor(d$score, ordered = TRUE)
  m <- clmm(y ~ wave + (1 | family_id), data = d, nAGQ = 10, control = clmm.control(gradTol = 1e-8))
  co <- summary(m)$coefficients
  clm[[length(clm) + 1]] <<- data.frame(dataset, domain, term = c(rownames(co), "sd_family", "loglik"),
    estimate = c(co[, 1], attr(VarCorr(m)[[1]], "stddev"), as.numeric(logLik(m))),
    se = c(co[, 2], NA, NA))
}

fit_gee <- function(d, dataset, domain) {
  d <- d[order(d$family_id, d$wave), ]
  d$id <- as.integer(factor(d$family_id))
  m <- geeglm(score ~ wave, id = id, data = d, corstr = "exchangeable", family = gaussian)
  co <- summary(m)$coefficients
  a <- anova(m)  # Wald chi-square of wave
  gee[[length(gee) + 1]] <<- data.frame(dataset, domain, term = c(rownames(co), "alpha", "scale", "wald_wave"),
    estimate = c(co[, 1], summary(m)$corr$Estimate, summary(m)$dispersion$Estimate, a["wave", "X2"]),
    se = c(co[, 2], NA, NA, NA))
}

fit_gee_by <- function(d, dataset, domain) {  # wave * municipality: contrasts within each group
  d <- d[order(d$family_id, d$wave), ]
  d$id <- as.integer(factor(d$family_id))
  m <- geeglm(score ~ wave * municipality, id = id, data = d, corstr = "exchangeable", family = gaussian)
  b <- coef(m); V <- vcov(m); out <- NULL
  for (g in levels(d$municipality)) {
    for (tm in c("(Intercept)", "waveyear1", "waveyear2")) {
      L <- setNames(rep(0, length(b)), names(b)); L[tm] <- 1
      if (g != levels(d$municipality)[1])
        L[if (tm == "(Intercept)") paste0("municipality", g) else paste0(tm, ":municipality", g)] <- 1
      out <- rbind(out, data.frame(dataset, domain, term = paste0(g, "/", tm), estimate = sum(L * b),
                                   se = sqrt(drop(L %*% V %*% L))))
    }
  }
  a <- anova(m)
  gee[[length(gee) + 1]] <<- rbind(out, data.frame(dataset, domain, term = "wald_interaction",
    estimate = a["wave:municipality", "X2"], se = NA))
}

# (a) lme4::sleepstudy, days 0/3/6/9 as waves, made unbalanced by dropping five rows
data(sleepstudy, package = "lme4")
ss <- subset(sleepstudy, Days %in% c(0, 3, 6, 9))
ss <- ss[!((ss$Subject %in% c("308", "309", "310") & ss$Days == 9) |
           (ss$Subject %in% c("330", "331") & ss$Days == 6)), ]
ss <- data.frame(family_id = paste0("S", ss$Subject), wave = paste0("day", ss$Days),
                 domain = "reaction", score = ss$Reaction)
write.csv(ss, file.path(here, "sleepstudy_long.csv"), row.names = FALSE)
ss$wave <- factor(ss$wave, levels = c("day0", "day3", "day6", "day9"))
fit_lmm(ss, score ~ wave + (1 | family_id), "sleepstudy", "reaction", "wave")
fit_lmm(ss, score ~ wave + (1 | family_id), "sleepstudy", "reaction", "wave_ml", reml = FALSE)
fit_gee(ss, "sleepstudy", "reaction")
ss$score <- as.integer(cut(ss$score, c(0, 250, 300, 350, 1000)))  # four ordered bands
fit_clmm(ss, "sleepstudy", "reaction")

# a toy with negatively correlated waves: REML puts the family variance on the boundary
toy <- data.frame(family_id = rep(paste0("t", 1:8), 2), wave = rep(c("intake", "year1"), each = 8),
                  domain = "finances", score = c(1, 2, 3, 4, 2, 3, 4, 5, 4, 3, 2, 1, 5, 3, 2, 3))
write.csv(toy, file.path(here, "singular_long.csv"), row.names = FALSE)
toy$wave <- factor(toy$wave, levels = c("intake", "year1"))
fit_lmm(toy, score ~ wave + (1 | family_id), "singular", "finances", "wave")

# (b) the seeded unbalanced synthetic cohort (make_synthetic.py)
syn <- read.csv(file.path(here, "synthetic_cohort.csv"))
syn <- syn[!is.na(syn$score), ]
syn$wave <- factor(syn$wave, levels = c("intake", "year1", "year2"))
syn$municipality <- factor(syn$municipality)
syn$household_type <- factor(syn$household_type)
for (dom in unique(syn$domain)) {
  d <- syn[syn$domain == dom, ]
  fit_lmm(d, score ~ wave + (1 | family_id), "synthetic", dom, "wave")
  fit_lmm(d, score ~ wave + n_children + household_type + (1 | family_id), "synthetic", dom, "covariates")
  fit_lmm(d, score ~ wave * municipality + (1 | family_id), "synthetic", dom, "by_municipality",
          groups = levels(syn$municipality), by = "municipality")
  fit_clmm(d, "synthetic", dom)
  fit_gee(d, "synthetic", dom)
  fit_gee_by(d, "synthetic_by_municipality", dom)
}

# (c) the sample cohort (data/sample/assessments.csv, copied here as sample_assessments.csv)
wide <- read.csv(file.path(here, "sample_assessments.csv"))
doms <- setdiff(names(wide), c("family_id", "wave", "assessed_on"))
for (dom in doms) {
  d <- data.frame(family_id = wide$family_id, wave = factor(wide$wave, levels = c("intake", "year1", "year2")),
                  score = wide[[dom]])
  d <- d[!is.na(d$score), ]
  fit_lmm(d, score ~ wave + (1 | family_id), "sample", dom, "wave")
  fit_gee(d, "sample", dom)
  if (dom %in% c("finances", "mental_wellbeing")) fit_clmm(d, "sample", dom)
}

w <- function(x, f) write.csv(do.call(rbind, x), file.path(here, f), row.names = FALSE)
w(lmm, "ref_lmm.csv"); w(vars, "ref_lmm_var.csv"); w(aov, "ref_anova.csv"); w(clm, "ref_clmm.csv")
w(gee, "ref_gee.csv")
cat(sprintf("%s\n", R.version.string), sprintf("lme4 %s lmerTest %s ordinal %s geepack %s\n",
    packageVersion("lme4"), packageVersion("lmerTest"), packageVersion("ordinal"), packageVersion("geepack")))
